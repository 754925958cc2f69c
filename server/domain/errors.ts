/** A domain error users can read: a stable code, an HTTP status that means what it says, and details. */
export class DomainError extends Error {
  override name = "DomainError";
  code: string;
  status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429;
  field?: string;
  constructor(code: string, status: DomainError["status"], message: string, field?: string) {
    super(message);
    this.code = code;
    this.status = status;
    this.field = field;
  }
}
