-- The engine's last statement goes out together with COMMIT (decision 0003): the call's
-- conditional budget UPDATE then has to fail, not merely change no row, when it refuses, so
-- that the COMMIT behind it rolls everything back. workflow_expect turns "no row changed" into
-- an error that names the rule (SQLSTATE WF001, the rule in HINT). No business rule lives here:
-- the condition stays in the UPDATE in app/workflow/budget.server.ts.
CREATE FUNCTION workflow_expect(ok boolean, rule text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF ok THEN
    RETURN true;
  END IF;
  RAISE EXCEPTION 'refused by rule %', rule USING ERRCODE = 'WF001', HINT = rule;
END $$;
