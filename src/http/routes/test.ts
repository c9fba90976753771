/** Only with SHOUHOU_TEST_CLOCK=1: set the server's clock and run the deadline sweeper now. */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext, SettableClock } from '../../app/context.ts';
import { retryDeadlineProblems, sweepDueDeadlines } from '../../app/refunds.ts';
import { freezeDueBatches } from '../../app/workbench/unshipped-batch.ts';
import { ZTestClockRequest } from '../../contract/schemas.ts';

export function testRoutes(ctx: AppContext, clock: SettableClock): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    app.post(
      '/clock',
      { schema: { tags: ['test'], summary: 'Set the clock (SHOUHOU_TEST_CLOCK=1 only)', body: ZTestClockRequest, response: { 200: z.object({ now: z.string() }) } } },
      async (request) => {
        clock.set(new Date(request.body.now));
        return { now: clock.now().toISOString() };
      },
    );
    app.post(
      '/sweep',
      { schema: { tags: ['test'], summary: 'Apply every passed deadline now (SHOUHOU_TEST_CLOCK=1 only)', response: { 200: z.object({ applied: z.number() }) } } },
      async () => {
        await retryDeadlineProblems(ctx);
        await freezeDueBatches(ctx);
        return { applied: await sweepDueDeadlines(ctx) };
      },
    );
  };
}
