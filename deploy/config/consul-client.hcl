# /etc/consul.d/agora-client.hcl on every machine that is not a Consul server (the agent machines).
# Agora's agent, and the frameworks, talk to this local client agent at 127.0.0.1:8500.
datacenter = "dc1"
data_dir = "/var/lib/consul"
server = false
bind_addr = "10.0.0.11"
client_addr = "127.0.0.1"
retry_join = ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
disable_update_check = true
