# /etc/consul.d/agora-server.hcl on each of the three Consul servers (usually the master machines), for
# Debian's consul.service (data in /var/lib/consul). Check with: consul validate /etc/consul.d
datacenter = "dc1"
data_dir = "/var/lib/consul"
server = true
bootstrap_expect = 3
# the address other servers reach this one on (or a go-sockaddr template such as "{{ GetPrivateIP }}")
bind_addr = "10.0.0.1"
# Agora's components talk to the local agent only
client_addr = "127.0.0.1"
retry_join = ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
ui = true
disable_update_check = true
# production raft timing would be 5 (the default); 1 is for low-latency networks and fast fail-over
performance {
  raft_multiplier = 1
}
