// The one axios + axios-retry setup of every request this package sends, API calls and token requests alike: text
// bodies read as they are (never parsed by axios), no redirects, a size limit, the package's User-Agent, each
// attempt with its full timeout, and the caller's hooks deciding what is retried, after how long, and what an
// attempt teaches it. An axios instance is made per logical request, so what its attempts learn stays with it.
import axios, { type AxiosError, type AxiosInstance, type AxiosResponse, type InternalAxiosRequestConfig } from "axios";
import axiosRetry from "axios-retry";

export const USER_AGENT = `pulumi-confluent-plattc axios/${axios.VERSION}`;

export interface HttpHooks {
  /** Relative URLs resolve against it; absolute ones are refused when it is set. */
  baseURL?: string;
  attemptTimeoutMs: number;
  maxBodyBytes: number;
  /** Retries after the first attempt. */
  maxRetries: number;
  userAgent?: string;
  /** Before every attempt (retries included): e.g. authorization and a throttle permit. */
  beforeAttempt(attempt: InternalAxiosRequestConfig): InternalAxiosRequestConfig | Promise<InternalAxiosRequestConfig>;
  /** After every attempt, before axios-retry decides about it. */
  answered?(response: AxiosResponse): AxiosResponse;
  failed?(error: unknown): void;
  /** axios-retry's retryCondition. */
  mayRetry(error: AxiosError): boolean;
  /** Milliseconds before retry `retryCount` (1 for the first). */
  retryDelay(retryCount: number, error: AxiosError): number;
  onRetry(retryCount: number, error: AxiosError): void;
}

export function createHttp(hooks: HttpHooks): AxiosInstance {
  const http = axios.create({
    ...(hooks.baseURL !== undefined ? { baseURL: hooks.baseURL, allowAbsoluteUrls: false } : {}),
    timeout: hooks.attemptTimeoutMs,
    maxRedirects: 0,
    responseType: "text",
    transformResponse: [(data: unknown) => data],
    maxContentLength: hooks.maxBodyBytes,
    headers: { Accept: "application/json", "User-Agent": hooks.userAgent ?? USER_AGENT },
  });
  // Registered before axios-retry: response interceptors run in registration order, so these see every attempt
  // (retries re-enter the whole chain) before axios-retry decides about it.
  http.interceptors.request.use((attempt) => hooks.beforeAttempt(attempt));
  http.interceptors.response.use(
    (response) => (hooks.answered ? hooks.answered(response) : response),
    (error: unknown) => {
      hooks.failed?.(error);
      return Promise.reject(error);
    },
  );
  axiosRetry(http, {
    retries: hooks.maxRetries,
    // Each attempt gets the full attempt timeout; the overall bound is the caller's signal.
    shouldResetTimeout: true,
    retryCondition: (error) => hooks.mayRetry(error),
    retryDelay: (retryCount, error) => hooks.retryDelay(retryCount, error),
    onRetry: (retryCount, error) => hooks.onRetry(retryCount, error),
  });
  return http;
}
