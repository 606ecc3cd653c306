// A clock running `scale` times faster than the wall clock, shared by the emulator (provisioning times) and the
// provider's waits, so long provisions can be measured in seconds without changing the polling policy.
export class ScaledClock {
  private readonly origin = Date.now();
  constructor(readonly scale: number) {}

  now(): number {
    return this.origin + (Date.now() - this.origin) * this.scale;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms / this.scale));
  }
}
