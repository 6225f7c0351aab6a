using BenchmarkDotNet.Running;

// Run: dotnet run -c Release --project bench/Eventuali.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
