/** Calls to this extension's server routes under `<base_url>emr-schedule/`. */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

export const API_NAMESPACE = 'emr-schedule';

/** An error the server explained: an AWS code, a plain message, maybe a fix. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly action?: string,
    readonly policy?: unknown
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export async function requestAPI<T>(
  endPoint: string,
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const url = URLExt.join(settings.baseUrl, API_NAMESPACE, endPoint);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch {
    throw new ApiError(
      0,
      'NetworkError',
      'The Jupyter server could not be reached. Check that it is still running.'
    );
  }
  const text = await response.text();
  let data: any = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!response.ok) {
    throw new ApiError(
      response.status,
      data?.code ?? String(response.status),
      data?.message ??
        `The server answered ${response.status} ${response.statusText}.`,
      data?.action,
      data?.policy
    );
  }
  return data as T;
}

export interface IIdentity {
  account: string;
  arn: string;
  roleArn: string | null;
}

export interface IServerStatus {
  version: string;
  scheduler: {
    installed: boolean;
    kind?: string;
    exportsEnvironment: boolean;
    /** How a job's variables reach it ('sagemaker-job-environment': Studio's plugin). */
    how?: string;
  };
}
