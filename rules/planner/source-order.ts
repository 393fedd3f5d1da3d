/**
 * Which source order a plan starts from: the order the (code, context)'s own article gives; for a code
 * the knowledge base does not describe but whose family (facility and range) it knows, the family's
 * order; otherwise the generic order for the context (seed 002's checklist for Windows Update and
 * upgrades). Family and generic plans are said as such.
 */
import { familyOf } from '../kb/families';
import type { KnowledgeBase } from '../kb/load';
import type { Family, Order } from '../kb/schema';
import type { Context } from '../vocabulary';

/**
 * specific: the KB describes this code in this context · family: it does not, but the code belongs to a
 * family the KB knows for this context (or no context was given), so the family's steps are offered,
 * labelled as such · generic: neither (or no code was given), so the context's generic steps are
 * offered, labelled as generic · none: no context known yet.
 */
export type Guidance = 'specific' | 'family' | 'generic' | 'none';

export interface SourceOrder {
  guidance: Guidance;
  /** The order the plan starts with, or null when the KB has none for this case. */
  order: Order | null;
  /** The code's family when the plan is the family's, else null. */
  family: Family | null;
}

export interface OrderIndex {
  find(code: string | null, context: Context | null): SourceOrder;
}

const key = (code: string | null, context: string | null) => `${code ?? '*'}|${context ?? '*'}`;

/** A family's steps as a source order (context-wide, no code). */
function familyOrder(family: Family): Order {
  return { code: null, context: family.context, steps: family.steps, sources: family.sources };
}

export function buildOrderIndex(kb: KnowledgeBase): OrderIndex {
  const orders = new Map<string, Order>();
  for (const order of kb.orders) orders.set(key(order.code, order.context), order);
  const described = new Set(kb.contexts.map((c) => key(c.code, c.context)));
  const listed = new Set(kb.contexts.map((c) => c.code));
  return {
    find(code, context) {
      if (code && context && described.has(key(code, context)))
        // A described code without an order of its own starts from the context's generic order.
        return {
          guidance: 'specific',
          order: orders.get(key(code, context)) ?? orders.get(key(null, context)) ?? null,
          family: null,
        };
      // A family's plan is for codes the base does not list at all, in the family's context.
      const family = code && !listed.has(code) ? familyOf(kb.families, code) : null;
      if (family && (context === null || context === family.context))
        return { guidance: 'family', order: familyOrder(family), family };
      if (code && !context)
        return { guidance: 'none', order: orders.get(key(code, null)) ?? null, family: null };
      if (!context) return { guidance: 'none', order: null, family: null };
      return { guidance: 'generic', order: orders.get(key(null, context)) ?? null, family: null };
    },
  };
}
