// Error subclasses that survive Pulumi's closure serializer.

/**
 * The serializer (which copies this package's code into the provider's state) rewrites `class … extends Error`
 * into a function that calls Error without `new`: the instance then has no message or stack and is not
 * `instanceof Error`, and the engine would show an empty error. Every subclass calls this in its constructor
 * to put them back (a no-op when the code runs unserialized).
 */
export function repairError(self: Error, message: string): void {
  if (!(self instanceof Error)) {
    const proto = Object.getPrototypeOf(self) as object | null;
    if (proto && proto !== Object.prototype) Object.setPrototypeOf(proto, Error.prototype);
  }
  if (self.message !== message) {
    Object.defineProperty(self, "message", { value: message, writable: true, configurable: true, enumerable: false });
  }
  if (!self.stack) Error.captureStackTrace(self);
}
