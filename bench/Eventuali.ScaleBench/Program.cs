using System.Globalization;
using Eventuali.ScaleBench;

// Scale-out of a partitioned projection over PostgreSQL, with nodes as separate OS processes (this program started
// again as children):
//   Eventuali.ScaleBench scale [events] [runs] [pinned|unpinned] [rounds]   events/s of 1 node against 2 nodes, median
//                                                        of the runs; pinned (the default): each node on a core of its
//                                                        own; rounds: extra SHA-256 rounds per event in the handler (0)
//   Eventuali.ScaleBench takeover [runs] [nodes]         SIGKILL a partition's leader: kill -> its checkpoint moves under a new owner
// The server is EVENTUALI_TEST_POSTGRES (default: scripts/postgres.sh's URL); the bench works in schema "scalebench",
// which it drops and refills first.
var url = Environment.GetEnvironmentVariable("EVENTUALI_TEST_POSTGRES") is { Length: > 0 } u ? u : "postgresql://eventuali:eventuali@127.0.0.1:54329/eventuali";
var benchUrl = url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "schema=scalebench";

switch (args)
{
    case ["node", var nodeUrl, var projection, var node, var lease, var retry, var rounds]:
        return await Node.RunAsync(nodeUrl, projection, node, Seconds(lease), Seconds(retry), int.Parse(rounds, CultureInfo.InvariantCulture));

    case ["scale", ..] when args.Length <= 5 && (args.Length < 4 || args[3] is "pinned" or "unpinned"):
        return await ScaleRun.RunAsync(url, benchUrl, args.Length > 1 ? Int(args[1]) : 20_000, args.Length > 2 ? Int(args[2]) : 3, args.Length < 4 || args[3] == "pinned", args.Length > 4 ? Int(args[4]) : 0);

    case ["takeover", ..] when args.Length <= 3:
        return await TakeoverRun.RunAsync(url, benchUrl, args.Length > 1 ? Int(args[1]) : 5, args.Length > 2 ? Int(args[2]) : 3);

    default:
        Console.Error.WriteLine("usage: Eventuali.ScaleBench scale [events] [runs] [pinned|unpinned] [rounds] | takeover [runs] [nodes]");
        return 2;
}

static int Int(string text) => int.TryParse(text, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"Expected a positive number, got '{text}'.");

static TimeSpan Seconds(string text) => TimeSpan.FromSeconds(double.Parse(text, CultureInfo.InvariantCulture));
