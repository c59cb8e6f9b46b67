CREATE TABLE "fighters" (
	"name" text PRIMARY KEY NOT NULL,
	"archetype" text NOT NULL,
	"color" text NOT NULL,
	"tagline" text NOT NULL,
	"moves" jsonb NOT NULL,
	"wins" integer DEFAULT 0 NOT NULL,
	"first_seen" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "matchups" (
	"poll_id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"stage" text NOT NULL,
	"matchup" jsonb NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "results" (
	"poll_id" text PRIMARY KEY NOT NULL,
	"winner" text,
	"reason" text NOT NULL,
	"votes" jsonb NOT NULL,
	"hp" jsonb NOT NULL,
	"total_votes" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shoutouts" (
	"id" text PRIMARY KEY NOT NULL,
	"user_name" text NOT NULL,
	"message" text NOT NULL,
	"status" text DEFAULT 'visible' NOT NULL,
	"ip_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shoutouts_status_check" CHECK ("shoutouts"."status" in ('visible', 'hidden'))
);
--> statement-breakpoint
CREATE TABLE "streams" (
	"stream_key" text PRIMARY KEY NOT NULL,
	"screen_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stopped_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_poll_id_matchups_poll_id_fk" FOREIGN KEY ("poll_id") REFERENCES "public"."matchups"("poll_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "results_finished_at_idx" ON "results" USING btree ("finished_at" DESC NULLS LAST,"poll_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "shoutouts_created_at_idx" ON "shoutouts" USING btree ("created_at" DESC NULLS LAST);