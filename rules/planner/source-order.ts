/**
 * Which source order a plan starts from: the order the (code, context)'s own article gives, or, for a
 * code the knowledge base has no guidance for in that context, the generic order for the context
 * (seed 002's checklist for Windows Update and upgrades), said as such.
 */
import type { KnowledgeBase } from '../kb/load';
import type { Order } from '../kb/schema';
import type { Context } from '../vocabulary';

/**
 * specific: the KB describes this code in this context · generic: it does not (or no code was given),
 * so the context's generic steps are offered, labelled as generic · none: no context known yet.
 */
export type Guidance = 'specific' | 'generic' | 'none';

export interface SourceOrder {
  guidance: Guidance;
  /** The order the plan starts with, or null when the KB has none for this case. */
  order: Order | null;
}

export interface OrderIndex {
  find(code: string | null, context: Context | null): SourceOrder;
}

const key = (code: string | null, context: string | null) => `${code ?? '*'}|${context ?? '*'}`;

export function buildOrderIndex(kb: KnowledgeBase): OrderIndex {
  const orders = new Map<string, Order>();
  for (const order of kb.orders) orders.set(key(order.code, order.context), order);
  const described = new Set(kb.contexts.map((c) => key(c.code, c.context)));
  return {
    find(code, context) {
      if (code && context && described.has(key(code, context)))
        // A described code without an order of its own starts from the context's generic order.
        return {
          guidance: 'specific',
          order: orders.get(key(code, context)) ?? orders.get(key(null, context)) ?? null,
        };
      if (code && !context) return { guidance: 'none', order: orders.get(key(code, null)) ?? null };
      if (!context) return { guidance: 'none', order: null };
      return { guidance: 'generic', order: orders.get(key(null, context)) ?? null };
    },
  };
}
