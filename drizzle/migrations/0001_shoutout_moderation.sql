ALTER TABLE "shoutouts" DROP CONSTRAINT "shoutouts_status_check";--> statement-breakpoint
ALTER TABLE "shoutouts" ALTER COLUMN "status" SET DEFAULT 'pending';--> statement-breakpoint
ALTER TABLE "shoutouts" ADD COLUMN "voter_id" text;--> statement-breakpoint
CREATE INDEX "shoutouts_voter_id_idx" ON "shoutouts" USING btree ("voter_id");--> statement-breakpoint
ALTER TABLE "shoutouts" ADD CONSTRAINT "shoutouts_status_check" CHECK ("shoutouts"."status" in ('pending', 'visible', 'rejected', 'hidden'));