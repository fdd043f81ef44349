import type { ConformanceCase } from "../types.js";
import { apiKeyCases } from "./api-keys.js";
import { healthCases } from "./health.js";
import { hostileIdCases } from "./hostile-ids.js";
import { rateLimitCases } from "./rate-limits.js";
import { recoveryCodeCases } from "./recovery-codes.js";
import { sessionCases } from "./sessions.js";
import { userCases } from "./users.js";

/** Every case, health first: when the store cannot even answer that, the rest will not tell much. */
export const conformanceCases: readonly ConformanceCase[] = Object.freeze([
  ...healthCases,
  ...userCases,
  ...sessionCases,
  ...recoveryCodeCases,
  ...apiKeyCases,
  ...rateLimitCases,
  ...hostileIdCases,
]);
