// Every failing OpenVINO call becomes an OpenVinoError: OpenVINO's status name, its own message, and what we were doing.
import { openvino, takeString } from './native.js';

/** ov_status_e names by value (openvino/c/ov_common.h). */
const STATUS_NAMES: Record<number, string> = {
  0: 'OK',
  [-1]: 'GENERAL_ERROR',
  [-2]: 'NOT_IMPLEMENTED',
  [-3]: 'NETWORK_NOT_LOADED',
  [-4]: 'PARAMETER_MISMATCH',
  [-5]: 'NOT_FOUND',
  [-6]: 'OUT_OF_BOUNDS',
  [-7]: 'UNEXPECTED',
  [-8]: 'REQUEST_BUSY',
  [-9]: 'RESULT_NOT_READY',
  [-10]: 'NOT_ALLOCATED',
  [-11]: 'INFER_NOT_STARTED',
  [-12]: 'NETWORK_NOT_READ',
  [-13]: 'INFER_CANCELLED',
  [-14]: 'INVALID_C_PARAM',
  [-15]: 'UNKNOWN_C_ERROR',
  [-16]: 'NOT_IMPLEMENT_C_METHOD',
  [-17]: 'UNKNOW_EXCEPTION',
};

/** Name of an ov_status_e value, e.g. -5 → "NOT_FOUND". */
export function statusName(status: number): string {
  return STATUS_NAMES[status] ?? `STATUS_${status}`;
}

/** An error from OpenVINO itself (status != OK), or a check of ours done before calling it (status 'INVALID_ARGUMENT'). */
export class OpenVinoError extends Error {
  /** OpenVINO status name ("GENERAL_ERROR", "NOT_FOUND", …) or 'INVALID_ARGUMENT' / 'DISPOSED' for our own checks. */
  readonly status: string;
  /** What the binding was doing, e.g. "compileModel(vision_model.xml, CPU)". */
  readonly operation: string;
  /** OpenVINO's own message (ov_get_last_err_msg), when it gave one. */
  readonly nativeMessage: string | undefined;

  constructor(status: string, operation: string, detail: string | undefined) {
    super(`${operation} failed: ${status}${detail ? `: ${detail.trim()}` : ''}`);
    this.name = 'OpenVinoError';
    this.status = status;
    this.operation = operation;
    this.nativeMessage = detail;
  }
}

/**
 * Throw an OpenVinoError when `status` is not OK. OpenVINO keeps one process-wide last message (not per thread),
 * so with several requests failing at once a message can belong to a neighbour; the status is always ours.
 */
export function check(status: number, operation: string | (() => string)): void {
  if (status === 0) return;
  const detail = takeString(openvino().ov_get_last_err_msg());
  throw new OpenVinoError(
    statusName(status),
    typeof operation === 'string' ? operation : operation(),
    detail,
  );
}

/** Our own argument check failed before any native call. */
export function invalid(operation: string, message: string): OpenVinoError {
  return new OpenVinoError('INVALID_ARGUMENT', operation, message);
}
