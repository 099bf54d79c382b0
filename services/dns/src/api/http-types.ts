/** The few Express request/response members the API uses (no @types/express in the workspace). */
export interface HttpRequest {
  on(event: 'close', fn: () => void): void;
}

export interface HttpResponse {
  status(code: number): HttpResponse;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
  type(t: string): HttpResponse;
  send(body: string): void;
  write(chunk: string): boolean;
  flushHeaders(): void;
  end(): void;
}
