import { STATUS_CODES } from 'node:http';

export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 9457 problem-details body, as every error of the service is written. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  errors?: FieldError[];
  /** Extension members (RFC 9457, section 3.2), such as `code`. */
  [member: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemType(status: number): string {
  return `https://www.rfc-editor.org/rfc/rfc9110#status.${status}`;
}

export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/** The problem body for a status, with its standard type and title. */
export function problemFor(status: number, detail: string, instance: string, requestId: string): Problem {
  return { type: problemType(status), title: statusTitle(status), status, detail, instance, requestId };
}
