using System.Diagnostics;
using System.Globalization;
using Eventuali.PostgreSql;
using Npgsql;
using NpgsqlTypes;

// What the database does with the same rows and no checks at all, the ceiling the append workloads are
// compared with in the same run:
//   Eventuali.Ceilings <postgresql:// URL> <schema> <rows> <rows per transaction>
//     Npgsql binary COPY into an events table created by `eventuali init` (same columns, same four indexes;
//     scripts/pg-ceilings.sh).
//   Eventuali.Ceilings sqlite <file> <rows> <rows per transaction> <normal|full>
//     a prepared INSERT loop into the events table of a SQLite file created by `eventuali init`, in WAL mode,
//     one transaction per <rows per transaction> (1 with full: the fsync ceiling; scripts/sqlite-ceilings.sh).
if (args.Length == 5 && args[0] == "sqlite")
{
    return SqliteCeiling.Run(args);
}

if (args.Length != 4 || !int.TryParse(args[2], CultureInfo.InvariantCulture, out var rows) || rows < 1
    || !int.TryParse(args[3], CultureInfo.InvariantCulture, out var perTransaction) || perTransaction < 1)
{
    Console.Error.WriteLine("usage: Eventuali.Ceilings <postgresql://user:password@host:port/database> <schema> <rows> <rows per transaction>");
    return 2;
}

var schema = args[1];
if (!System.Text.RegularExpressions.Regex.IsMatch(schema, "^[a-z_][a-z0-9_]{0,62}$"))
{
    Console.Error.WriteLine($"schema must match ^[a-z_][a-z0-9_]{{0,62}}$: '{schema}'");
    return 2;
}

const string Payload = """{"note": "deposit note 0", "amount": 12.5, "channel": "mobile-app", "currency": "EUR", "accountId": "acc-000000", "reference": "ref-000000-e814f527"}""";
var copy = $"COPY \"{schema}\".events (position, stream_id, version, event_id, event_type, content_type, data_json, correlation_id, \"timestamp\") FROM STDIN (FORMAT BINARY)";
await using var dataSource = NpgsqlDataSource.Create(PgUrl.Parse(args[0]).Builder.ConnectionString);
await using var conn = await dataSource.OpenConnectionAsync();
var latencies = new List<double>(rows / perTransaction + 1);
var now = DateTimeOffset.UtcNow;
var total = Stopwatch.StartNew();
for (var done = 0; done < rows; done += perTransaction)
{
    var started = Stopwatch.GetTimestamp();
    var n = Math.Min(perTransaction, rows - done);
    await using (var tx = await conn.BeginTransactionAsync())
    {
        await using (var writer = await conn.BeginBinaryImportAsync(copy))
        {
            for (var i = done; i < done + n; i++)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync((long)i + 1, NpgsqlDbType.Bigint);
                await writer.WriteAsync(1_000_000_000L + (i / 50), NpgsqlDbType.Bigint);
                await writer.WriteAsync((long)(i % 50) + 1, NpgsqlDbType.Bigint);
                await writer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await writer.WriteAsync("benchmark-deposited", NpgsqlDbType.Text);
                await writer.WriteAsync("application/json", NpgsqlDbType.Text);
                await writer.WriteAsync(Payload, NpgsqlDbType.Jsonb);
                await writer.WriteAsync("bench-ceiling/" + i.ToString(CultureInfo.InvariantCulture), NpgsqlDbType.Text);
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }

            await writer.CompleteAsync();
        }

        await tx.CommitAsync();
    }

    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
}

total.Stop();
latencies.Sort();
double Percentile(double p) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $$"""{"workload":"copy-{{perTransaction}}","events":{{rows}},"seconds":{{total.Elapsed.TotalSeconds:0.######}},"events_per_sec":{{rows / total.Elapsed.TotalSeconds:0.#}},"p50_ms":{{Percentile(0.5):0.####}},"p99_ms":{{Percentile(0.99):0.####}}}"""));
return 0;
