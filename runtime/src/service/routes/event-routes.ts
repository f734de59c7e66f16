/** POST /v1/events: stored with one delivery per subscribed install of the tenant, then delivered by the worker. */
import type { FastifyInstance } from "fastify";
import { timeOrderedId } from "../../service-store/time-ordered-id.js";
import type { z } from "zod";
import type { RouteSpec } from "../api-route.js";
import { publishedEvent, publishEventBody } from "../api-schemas.js";
import { tenantOf } from "../auth.js";
import { addRoute } from "../service-context.js";

export const eventSpecs = {
  publish: {
    method: "POST",
    url: "/v1/events",
    summary: "Publish `{ topic, payload }` to every install of the tenant with an event handler on the topic.",
    access: "tenant",
    body: publishEventBody,
    response: { 202: publishedEvent },
  },
} satisfies Record<string, RouteSpec>;

export async function eventRoutes(app: FastifyInstance) {
  const { store, worker, clock, eventMaxAttempts } = app.runtime;
  addRoute<{ body: z.infer<typeof publishEventBody> }>(app, eventSpecs.publish, async (request, reply) => {
    const event = { id: timeOrderedId(), tenantId: tenantOf(request), topic: request.body.topic, payload: request.body.payload ?? null, createdAt: clock.now(), source: "api" };
    const deliveries = await store.publishEvent(event, eventMaxAttempts);
    worker.nudge();
    return reply.status(202).send({ eventId: event.id, deliveries });
  });
}
