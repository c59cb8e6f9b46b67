CREATE TABLE "fighter_records" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"fighter" jsonb NOT NULL,
	"rating" integer NOT NULL,
	"wins" integer DEFAULT 0 NOT NULL,
	"losses" integer DEFAULT 0 NOT NULL,
	"ties" integer DEFAULT 0 NOT NULL,
	"kos" integer DEFAULT 0 NOT NULL,
	"streak" integer DEFAULT 0 NOT NULL,
	"fights" integer DEFAULT 0 NOT NULL,
	"first_fought_at" timestamp with time zone,
	"last_fought_at" timestamp with time zone,
	"retired" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fighter_records_counts_check" CHECK ("fighter_records"."fights" = "fighter_records"."wins" + "fighter_records"."losses" + "fighter_records"."ties" and "fighter_records"."kos" between 0 and "fighter_records"."wins" and least("fighter_records"."wins", "fighter_records"."losses", "fighter_records"."ties") >= 0)
);
--> statement-breakpoint
CREATE TABLE "fighter_results" (
	"poll_id" text NOT NULL,
	"fighter_id" text NOT NULL,
	"opponent_id" text NOT NULL,
	"option" text NOT NULL,
	"result" text NOT NULL,
	"reason" text NOT NULL,
	"rating_before" integer NOT NULL,
	"rating_after" integer NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	CONSTRAINT "fighter_results_poll_id_fighter_id_pk" PRIMARY KEY("poll_id","fighter_id"),
	CONSTRAINT "fighter_results_result_check" CHECK ("fighter_results"."result" in ('win', 'loss', 'tie'))
);
--> statement-breakpoint
ALTER TABLE "fighter_results" ADD CONSTRAINT "fighter_results_fighter_id_fighter_records_id_fk" FOREIGN KEY ("fighter_id") REFERENCES "public"."fighter_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fighter_results" ADD CONSTRAINT "fighter_results_opponent_id_fighter_records_id_fk" FOREIGN KEY ("opponent_id") REFERENCES "public"."fighter_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "fighter_records_rating_idx" ON "fighter_records" USING btree ("rating" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "fighter_records_last_fought_idx" ON "fighter_records" USING btree ("last_fought_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "fighter_results_fighter_idx" ON "fighter_results" USING btree ("fighter_id","finished_at" DESC NULLS LAST);