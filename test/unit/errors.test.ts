import { causes } from '../../src/errors';

describe('causes', () => {
  it('walks from the error outward along cause, outermost first', () => {
    const grpc = Object.assign(new Error('14 UNAVAILABLE'), { code: 14 });
    const service = new Error('call failed', { cause: grpc });
    const wrapped = new Error('cannot start order', { cause: service });
    expect([...causes(wrapped)]).toEqual([wrapped, service, grpc]);
  });

  it('follows causes that are not Error instances, and stops at a value with no cause', () => {
    const inner = { code: 5, cause: 'the server said no' };
    expect([...causes(new Error('outer', { cause: inner }))]).toEqual([expect.any(Error), inner, 'the server said no']);
  });

  it('ends where the chain comes back on itself', () => {
    const first = new Error('first');
    const second = new Error('second', { cause: first });
    first.cause = second;
    expect([...causes(first)]).toEqual([first, second]);
  });

  it('yields nothing for nothing', () => {
    expect([...causes(undefined)]).toEqual([]);
    expect([...causes(null)]).toEqual([]);
  });
});
