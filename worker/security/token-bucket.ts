// A token bucket: `burst` frames at once, refilled at `ratePerSecond`.
// Plain data plus pure functions, so it can live in memory or in storage.

export interface Bucket {
  tokens: number;
  /** ms since epoch of the last refill. */
  updatedAt: number;
}

export interface BucketLimits {
  ratePerSecond: number;
  burst: number;
}

export function fullBucket(limits: BucketLimits, now: number): Bucket {
  return { tokens: limits.burst, updatedAt: now };
}

/** Takes one token if there is one; returns whether it did (mutates `bucket`). */
export function take(bucket: Bucket, limits: BucketLimits, now: number): boolean {
  const elapsed = Math.max(0, now - bucket.updatedAt) / 1000;
  bucket.tokens = Math.min(limits.burst, bucket.tokens + elapsed * limits.ratePerSecond);
  bucket.updatedAt = now;
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

/** Seconds until one token is back. */
export function secondsUntilToken(bucket: Bucket, limits: BucketLimits): number {
  return bucket.tokens >= 1 ? 0 : Math.ceil((1 - bucket.tokens) / limits.ratePerSecond);
}
