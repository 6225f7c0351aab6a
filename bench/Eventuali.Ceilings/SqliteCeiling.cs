using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

/// <summary>
/// The SQLite ceiling: one prepared INSERT statement executed in a loop, one transaction per batch of rows,
/// into the events table `eventuali init` made (same columns, same unique indexes), plus one streams row per
/// batch as an append of a new stream writes. No checks, no lookups: what the file can take.
/// </summary>
internal static class SqliteCeiling
{
    private const string Payload = """{"note":"deposit note 0","amount":12.5,"channel":"mobile-app","currency":"EUR","accountId":"acc-000000","reference":"ref-000000-e814f527"}""";

    public static int Run(string[] args)
    {
        if (!int.TryParse(args[2], CultureInfo.InvariantCulture, out var rows) || rows < 1
            || !int.TryParse(args[3], CultureInfo.InvariantCulture, out var perTransaction) || perTransaction < 1
            || args[4] is not ("normal" or "full"))
        {
            Console.Error.WriteLine("usage: Eventuali.Ceilings sqlite <file made by eventuali init> <rows> <rows per transaction> <normal|full>");
            return 2;
        }

        if (!File.Exists(args[1]))
        {
            Console.Error.WriteLine($"no SQLite file at '{args[1]}': create it with `eventuali init --database sqlite://FILE` first");
            return 2;
        }

        using var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = args[1], Pooling = false }.ToString());
        conn.Open();
        Exec(conn, "PRAGMA journal_mode = WAL");
        Exec(conn, "PRAGMA synchronous = " + (args[4] == "full" ? "FULL" : "NORMAL"));

        using var stream = conn.CreateCommand();
        stream.CommandText = "INSERT INTO streams (name) VALUES ($name) RETURNING id";
        var name = stream.Parameters.Add("$name", SqliteType.Text);
        using var insert = conn.CreateCommand();
        insert.CommandText = """
            INSERT INTO events (stream_id, version, event_id, event_type, data, correlation_id, timestamp)
            VALUES ($stream, $version, $id, 'benchmark-deposited', $data, $corr, $ts)
            """;
        var p = insert.Parameters;
        var streamId = p.Add("$stream", SqliteType.Integer);
        var version = p.Add("$version", SqliteType.Integer);
        var id = p.Add("$id", SqliteType.Blob);
        var data = p.Add("$data", SqliteType.Text);
        var corr = p.Add("$corr", SqliteType.Text);
        var ts = p.Add("$ts", SqliteType.Integer);
        data.Value = Payload;
        insert.Prepare();
        stream.Prepare();

        var latencies = new List<double>(rows / perTransaction + 1);
        var run = Guid.NewGuid().ToString("N")[..8];
        var total = Stopwatch.StartNew();
        for (var done = 0; done < rows; done += perTransaction)
        {
            var started = Stopwatch.GetTimestamp();
            var n = Math.Min(perTransaction, rows - done);
            using (var tx = conn.BeginTransaction(deferred: false))
            {
                stream.Transaction = tx;
                insert.Transaction = tx;
                name.Value = $"ceiling-{run}-{done.ToString(CultureInfo.InvariantCulture)}";
                streamId.Value = (long)stream.ExecuteScalar()!;
                for (var i = 0; i < n; i++)
                {
                    version.Value = (long)i + 1;
                    id.Value = Guid.CreateVersion7().ToByteArray();
                    corr.Value = "bench-ceiling/" + (done + i).ToString(CultureInfo.InvariantCulture);
                    ts.Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
                    insert.ExecuteNonQuery();
                }

                tx.Commit();
            }

            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        total.Stop();
        latencies.Sort();
        double Percentile(double q) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $$"""{"workload":"sqlite-loop-{{perTransaction}}-{{args[4]}}","events":{{rows}},"seconds":{{total.Elapsed.TotalSeconds:0.######}},"events_per_sec":{{rows / total.Elapsed.TotalSeconds:0.#}},"p50_ms":{{Percentile(0.5):0.####}},"p99_ms":{{Percentile(0.99):0.####}}}"""));
        return 0;
    }

    private static void Exec(SqliteConnection conn, string sql)
    {
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
