/** /api/v1/shop/settings: the deadlines and defaults of the caller's shop. */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.ts';
import { changeShopSettings, getShopSettings } from '../../app/shops.ts';
import { ZSettingsPatch } from '../../contract/schemas.ts';

const ZSettings = ZSettingsPatch.required();

export function shopRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/shop/settings',
      {
        config: { permission: 'shop.settings.read' },
        schema: { tags: ['shop'], summary: "The shop's deadlines (hours) and defaults", response: { 200: ZSettings } },
      },
      async (request) => getShopSettings(ctx, { actor: request.actor! }),
    );
    app.patch(
      '/shop/settings',
      {
        config: { permission: 'shop.settings.update' },
        schema: { tags: ['shop'], summary: 'Change some settings; the others stay', body: ZSettingsPatch, response: { 200: ZSettings } },
      },
      async (request) => changeShopSettings(ctx, { actor: request.actor!, changes: request.body }),
    );
  };
}
