using BenchmarkDotNet.Running;

// Run: dotnet run -c Release --project bench/Eventuali.Benchmarks -- --filter '*'
// The aggregate cache figures (a console mode, see CacheBench.cs): dotnet run -c Release --project bench/Eventuali.Benchmarks -- cache <store URL> <redis URL>
if (args.Length > 0 && args[0] == "cache")
{
    return await Eventuali.Benchmarks.CacheBench.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
