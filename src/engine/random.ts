/**
 * A small seeded pseudo-random generator (SplitMix32). The engine never calls Math.random: every
 * "random" choice Redis makes (SPOP, SRANDMEMBER, RANDOMKEY) comes from here, so a run replays
 * exactly from its seed.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** An integer in [0, bound). */
  below(bound: number): number {
    return bound <= 1 ? 0 : this.nextUint32() % bound;
  }

  /** The generator's state, so a snapshot can restore it. */
  get seed(): number {
    return this.state;
  }
}
