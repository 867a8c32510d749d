/** Errors a handler throws on purpose; the router turns them into a kind, private answer. */
export class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotAllowed extends DomainError {}

export class NotFound extends DomainError {}

/** Bad input. `field` names the form field it belongs to, so a form can show it in place. */
export class Invalid extends DomainError {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
