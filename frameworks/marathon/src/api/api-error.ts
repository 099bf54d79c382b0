import type { ValidationFailure } from '../core';

/** An HTTP answer other than success, in Marathon's shape: thrown by the service, rendered by the router. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(typeof body['message'] === 'string' ? body['message'] : `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

export function unprocessable(f: ValidationFailure): ApiError {
  return new ApiError(422, { message: f.message, details: f.details });
}

export function notFound(message: string): ApiError {
  return new ApiError(404, { message });
}

export function unknownApp(id: string, version?: string): ApiError {
  return notFound(version ? `App '${id}' does not exist in version ${version}` : `App '${id}' does not exist`);
}

export function unknownGroup(id: string): ApiError {
  return notFound(`Group '${id}' does not exist`);
}

/** Marathon's 409 for a change to an app another deployment is still working on (unless ?force=true). */
export function locked(deploymentIds: readonly string[]): ApiError {
  const first = deploymentIds[0] ?? '';
  return new ApiError(409, {
    message: `App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/${first}'.`,
    deployments: deploymentIds.map((id) => ({ id })),
  });
}

export function badRequest(message: string, details?: { path: string; errors: string[] }[]): ApiError {
  return new ApiError(400, details ? { message, details } : { message });
}
