/** The few Express request/response members the API uses (no @types/express in the workspace). */
export interface HttpRequest {
  path: string;
  originalUrl: string;
  method: string;
}

export interface HttpResponse {
  status(code: number): HttpResponse;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
  end(): void;
}

export type Next = () => void;
