import type { Rule } from '../types.js';
import { bankTradeUndeclared } from './bank-trade-undeclared.js';
import { bunchingUnderThreshold } from './bunching-under-threshold.js';
import { codTradeUndeclared } from './cod-trade-undeclared.js';
import { dearerActivityGroup } from './dearer-activity-group.js';
import { observedExceedsDeclared } from './observed-exceeds-declared.js';
import { possiblyRegistered } from './possibly-registered.js';
import { peerOutlier } from './peer-outlier.js';
import { splitIdentities } from './split-identities.js';
import { stoppedFiling } from './stopped-filing.js';
import { unregisteredAboveThreshold } from './unregistered-above-threshold.js';

/** Every screening rule, in the order reasons are listed when their amounts tie. */
export const allRules: readonly Rule[] = [
  unregisteredAboveThreshold,
  possiblyRegistered,
  observedExceedsDeclared,
  stoppedFiling,
  bunchingUnderThreshold,
  codTradeUndeclared,
  bankTradeUndeclared,
  splitIdentities,
  dearerActivityGroup,
  peerOutlier,
];
