namespace Eventuali.Sqlite.Tests;

internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == AppendWorker.Argument)
        {
            return AppendWorker.RunAsync(args).GetAwaiter().GetResult();
        }

        if (args.Length > 0 && args[0] == ProjectionWorker.Argument)
        {
            return ProjectionWorker.RunAsync(args).GetAwaiter().GetResult();
        }

        if (args.Any(arg => arg is "--server" or "--internal-msbuild-node"))
        {
            return Xunit.MicrosoftTestingPlatform.TestPlatformTestFramework.RunAsync(args, SelfRegisteredExtensions.AddSelfRegisteredExtensions).GetAwaiter().GetResult();
        }

        return Xunit.Runner.InProc.SystemConsole.ConsoleRunner.Run(args).GetAwaiter().GetResult();
    }
}
