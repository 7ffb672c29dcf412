-- Hand-written (decision 0014): the case loaders look every row up by its index.
-- They run a generic plan (force_generic_plan, migration 20261123090000_workflow_case_loaders), planned
-- without knowing how many ids come (`= ANY(ids)`, estimated at ten) and against the tables' sizes at
-- the time. Such a plan read the whole "Call" table into a hash table on every load (seq scan + hash
-- join), and would the same for other small tables: measured in bench:workflow as one fifth of
-- PostgreSQL's CPU per approval, growing with the number of calls. A loader reads one case, or a
-- page's few: nested loops over primary-key and foreign-key indexes are always the right plan, so
-- the loaders say so.
ALTER FUNCTION workflow_load_applications(uuid[], boolean)
  SET enable_hashjoin = off SET enable_mergejoin = off SET enable_memoize = off SET enable_seqscan = off;
ALTER FUNCTION workflow_load_disbursements(uuid[], boolean)
  SET enable_hashjoin = off SET enable_mergejoin = off SET enable_memoize = off SET enable_seqscan = off;
