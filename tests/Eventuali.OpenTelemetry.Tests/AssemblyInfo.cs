// The source, the meter and Activity.Current are process-wide: one test at a time, so each sees only its own telemetry
// and the "nobody listens" tests really have no listener.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
