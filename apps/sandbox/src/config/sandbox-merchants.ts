import type { SandboxMerchant } from './sandbox-options.interface';

/**
 * The sandbox's own merchants: a card MID and a phone MID, exactly 10 characters like real ones.
 * The keys are made up for the sandbox (not the guide's printed keys) and only ever sign sandbox traffic.
 */
export const SANDBOX_MERCHANTS: { readonly card: SandboxMerchant; readonly phone: SandboxMerchant } = Object.freeze({
  card: Object.freeze({
    mid: 'sandbox01m',
    merchantKey: 'jfETMxu817y+SGUw+vm/J4U1bZ6/lyIyFJZAWSFzREdR6WfWUVXswnQcDd0Xx1AvP06H6Np1+Cvi66d0FAeHyg==',
  }),
  phone: Object.freeze({
    mid: 'sandbox02m',
    merchantKey: 'tloCcV0wx8bhp49B96BzcWN3annjSurA8G7NN0T9aoYsVspxTB7+Pso6EegUtfOHyW8S4TaY8W8JeWwS4T23yw==',
  }),
});
