-- Hand-written (decision 0009): figures_refresh writes a changed case's figures in one statement.
-- Before, the usual refresh (a case already kept, whose figures changed: every approval) ran five
-- statements after the lock: read the kept row, compute the new one, figures_add(old, -1) and
-- figures_add(new, +1) (each a nested SQL function with its own INSERT), and the upsert of
-- ApplicationFigure. The last three are now one statement: the upsert as a data-modifying CTE and
-- one INSERT of both FigureSum rows. The rows appended are exactly the same (same expressions as
-- figures_add, which stays for the removal of a case); the skip of repeated
-- refreshes, the advisory lock and the FigureCall hand-over with figures_build are unchanged.
CREATE OR REPLACE FUNCTION figures_refresh(app uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  o "ApplicationFigure";
  n "ApplicationFigure";
  done text := coalesce(current_setting('figures.refreshed', true), '');
BEGIN
  -- The triggers run deferred, at commit, after every change of the transaction: the first
  -- refresh of an application sees its final state, so later ones in the same transaction
  -- are skipped (an approval changes four rows of one case). Past 100 000 characters (a very
  -- large import) every refresh runs, which is slower but as exact.
  IF position(app::text IN done) > 0 THEN
    RETURN;
  END IF;
  IF length(done) < 100000 THEN
    PERFORM set_config('figures.refreshed', done || app::text || ',', true);
  END IF;
  PERFORM pg_advisory_xact_lock(72001, hashtext(app::text));
  SELECT * INTO o FROM "ApplicationFigure" WHERE "applicationId" = app;
  SELECT * INTO n FROM figures_app(app);
  IF o."applicationId" IS NULL AND n."applicationId" IS NULL THEN
    RETURN;
  END IF;
  IF o."applicationId" IS NULL THEN
    -- A case new to the figures: kept only if its call is (see figures_build).
    IF NOT EXISTS (SELECT 1 FROM "FigureCall" WHERE "callId" = n."callId") THEN
      PERFORM pg_advisory_xact_lock_shared(72002, hashtext(n."callId"::text));
      IF NOT EXISTS (SELECT 1 FROM "FigureCall" WHERE "callId" = n."callId") THEN
        RETURN;
      END IF;
      SELECT * INTO o FROM "ApplicationFigure" WHERE "applicationId" = app;
    END IF;
  END IF;
  IF o IS NOT DISTINCT FROM n THEN
    RETURN;
  END IF;
  IF n."applicationId" IS NULL THEN
    PERFORM figures_add(o, -1);
    DELETE FROM "ApplicationFigure" WHERE "applicationId" = app;
    RETURN;
  END IF;
  -- The kept row replaced, the old figures taken away (when there were any) and the new ones added.
  WITH kept AS (
    INSERT INTO "ApplicationFigure" SELECT (n).*
      ON CONFLICT ("applicationId") DO UPDATE SET
        "callId" = excluded."callId", "boardId" = excluded."boardId", kind = excluded.kind, "municipalityCode" = excluded."municipalityCode",
        "finalDueOn" = excluded."finalDueOn", outcome = excluded.outcome, withdrawn = excluded.withdrawn, "inForce" = excluded."inForce",
        "finalSubmitted" = excluded."finalSubmitted", "finalApproved" = excluded."finalApproved", "requestedOre" = excluded."requestedOre",
        "decidedOre" = excluded."decidedOre", "paidOre" = excluded."paidOre", "usedOre" = excluded."usedOre", "unusedOre" = excluded."unusedOre",
        "reclaimedOre" = excluded."reclaimedOre", "repaidOre" = excluded."repaidOre"
  )
  INSERT INTO "FigureSum" ("callId", "boardId", kind, "municipalityCode", "finalDueOn", received, approved, "partlyApproved", rejected, withdrawn, pending,
                           grants, "finalSubmitted", "finalApproved", "requestedOre", "decidedOre", "paidOre", "usedOre", "unusedOre", "reclaimedOre", "repaidOre")
  SELECT (x.f)."callId", (x.f)."boardId", (x.f).kind, (x.f)."municipalityCode", (x.f)."finalDueOn", x.sign,
         x.sign * ((x.f).outcome is not distinct from 'approved')::int, x.sign * ((x.f).outcome is not distinct from 'partly_approved')::int,
         x.sign * ((x.f).outcome is not distinct from 'rejected')::int, x.sign * (x.f).withdrawn::int, x.sign * ((x.f).outcome is null and not (x.f).withdrawn)::int,
         x.sign * (x.f)."inForce"::int, x.sign * (x.f)."finalSubmitted"::int, x.sign * (x.f)."finalApproved"::int,
         x.sign * (x.f)."requestedOre", x.sign * (x.f)."decidedOre", x.sign * (x.f)."paidOre", x.sign * (x.f)."usedOre", x.sign * (x.f)."unusedOre",
         x.sign * (x.f)."reclaimedOre", x.sign * (x.f)."repaidOre"
    FROM (VALUES (o, -1), (n, 1)) AS x(f, sign)
   WHERE (x.f)."applicationId" IS NOT NULL;
END $$;
