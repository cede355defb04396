import { formatInstant } from '../../../src/domain/web-ui';
import { oneErrorLine, operatorCli } from '../../helpers/operator-cli';
import { iso } from '../../helpers/orders';

const cli = operatorCli('status');
const { solicit, newSeller, waitingAndSolicited, temporalNamespace } = cli;

describe('solicit status', () => {
  it("shows a running order's status query, a closed order's result, and refuses an unknown order", async () => {
    const { waiting, window, solicited } = await waitingAndSolicited(newSeller());

    const [waitingJson, waitingText, solicitedJson, solicitedText, unknown] = await Promise.all([
      solicit('status', waiting, '--json'),
      solicit('status', waiting),
      solicit('status', solicited, '--json'),
      solicit('status', solicited),
      solicit('status', '903-0000000-0000000'),
    ]);

    expect(waitingJson.code).toBe(0);
    expect(JSON.parse(waitingJson.stdout)).toEqual({
      amazonOrderId: waiting,
      phase: 'waiting',
      solicitAfter: iso(window.solicitAfter),
      solicitBefore: iso(window.solicitBefore),
      windowEstimated: false,
      checks: 0,
      nextCheckAt: iso(window.solicitAfter),
      workflowStatus: 'RUNNING',
    });
    expect(waitingText.code).toBe(0);
    expect(waitingText.stdout).toMatch(/^phase +waiting$/m);
    expect(waitingText.stdout).toMatch(new RegExp(`^window opens +${formatInstant(window.solicitAfter)}$`, 'm'));
    expect(waitingText.stdout).toMatch(/^details +Waiting for Amazon's window to open on /m);

    expect(solicitedJson.code).toBe(0);
    const closed = JSON.parse(solicitedJson.stdout) as Record<string, unknown>;
    expect(closed).toMatchObject({ amazonOrderId: solicited, phase: 'solicited', checks: 1 });
    expect(closed.workflowStatus).toBe('COMPLETED');
    expect(closed.result).toEqual({
      amazonOrderId: solicited,
      outcome: 'solicited',
      checks: 1,
      solicitedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(solicitedText.stdout).toMatch(/^outcome +solicited$/m);

    oneErrorLine(unknown, 2, `solicit status: no order 903-0000000-0000000 in namespace ${temporalNamespace}`);
  });
});
