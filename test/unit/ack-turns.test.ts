import { describe, expect, it } from 'vitest';
import { takingTurns } from '../../src/adapters/slack/listeners/ack-first';

/** A work that runs until told to finish, noting when it started. */
function work(started: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    run: async () => {
      started.push(name);
      await done;
    },
    finish: () => finish(),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('work after the ack, in turns', () => {
  it('runs at most so many at once, the others in the order they came', async () => {
    const inTurn = takingTurns(2, 60_000);
    const started: string[] = [];
    const works = ['a', 'b', 'c', 'd'].map((name) => work(started, name));
    const all = works.map((w) => inTurn(w.run));
    await settle();
    expect(started).toEqual(['a', 'b']);
    works[1]!.finish();
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    // One arriving now waits behind d, which was there first.
    const late = work(started, 'e');
    const lateDone = inTurn(late.run);
    works[0]!.finish();
    await settle();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    works[2]!.finish();
    await settle();
    expect(started).toEqual(['a', 'b', 'c', 'd', 'e']);
    works[3]!.finish();
    late.finish();
    await Promise.all([...all, lateDone]);
  });

  it('hands the turn on when a work runs past its time, which then finishes on its own', async () => {
    const inTurn = takingTurns(1, 20);
    const started: string[] = [];
    const slow = work(started, 'slow');
    const next = work(started, 'next');
    const slowDone = inTurn(slow.run);
    const nextDone = inTurn(next.run);
    await settle();
    expect(started).toEqual(['slow']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(started).toEqual(['slow', 'next']);
    next.finish();
    slow.finish();
    await Promise.all([slowDone, nextDone]);
  });

  it('hands the turn on when a work fails, and passes the failure to its caller', async () => {
    const inTurn = takingTurns(1, 60_000);
    const started: string[] = [];
    const failing = inTurn(async () => {
      started.push('failing');
      throw new Error('the database is away');
    });
    const after = work(started, 'after');
    const afterDone = inTurn(after.run);
    await expect(failing).rejects.toThrow('the database is away');
    await settle();
    expect(started).toEqual(['failing', 'after']);
    after.finish();
    await afterDone;
  });
});
