import { admin } from './admin';
import type { Capability, CapabilityDeps } from './capability';
import { checkins } from './checkins';
import { feedback, feedback360 } from './feedback';
import { goals } from './goals';
import { oneOnOnes } from './one-on-ones';
import { people } from './people';
import { recognition } from './recognition';
import { calibration, managerReviews, reviewMeetings, reviews } from './reviews';

/** Every capability, in the order the help and the home show them. */
export const CAPABILITIES: Array<(deps: CapabilityDeps) => Capability> = [
  recognition,
  checkins,
  oneOnOnes,
  feedback,
  feedback360,
  goals,
  reviews,
  managerReviews,
  calibration,
  reviewMeetings,
  people,
  admin,
];
