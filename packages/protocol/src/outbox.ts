/** The durable outbox as admins see it: deliveries (mail to offices, later messenger replies) that wait or failed. */
export interface OutboxEntryDto {
  id: string;
  /** What is delivered, e.g. `referral.mail`. */
  kind: string;
  /** What it is about, e.g. `referral:<id>`. */
  subject: string | null;
  status: 'pending' | 'failed';
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: number;
  /** Why the last attempt failed (addresses masked). */
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}
/** `GET /api/outbox?status=failed|pending` (admins). */
export interface OutboxListResponse { entries: OutboxEntryDto[]; counts: { pending: number; failed: number } }
/** `POST /api/outbox/:id/retry` (admins): a failed entry gets another round of attempts. */
export interface OutboxEntryResponse { entry: OutboxEntryDto }
