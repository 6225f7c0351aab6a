using System.CommandLine;
using Eventuali.Auditing;
using Eventuali.Cli.Commands;

namespace Eventuali.Cli;

/// <summary>Builds the command tree, runs one command line and turns every failure into one line on stderr and an exit code.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, CliIo io, CancellationToken cancellationToken)
    {
        var common = new CommonOptions();
        var root = new RootCommand("Eventuali: create, inspect, append to and benchmark event stores.")
        {
            InitCommand.Create(io),
            AppendCommand.Create(io),
            ReadCommand.Create(io),
            DemoCommand.Create(io),
            BenchmarkCommand.Create(io),
            QueryCommand.Create(io),
            ExportCommand.Create(io),
            ImportCommand.Create(io),
            StatsCommand.Create(io),
            VerifyCommand.Create(io),
            CheckpointCommand.Create(io),
            SnapshotCommand.Create(io),
            Commands.Stream.StreamCommand.Create(io),
            MigrateCommand.Create(io),
            ProjectionsCommand.Create(io),
            RelayCommand.Create(io),
            ReplayCommand.Create(io),
            KeysCommand.Create(io),
            GdprCommand.Create(io),
            AuditCommand.Create(io),
            DiagramCommand.Create(io),
            DebugCommand.Create(io),
            ServeCommand.Create(io),
            ApiKeysCommand.Create(io),
            Schema.SchemaCommand.Create(io),
            Generate.GenerateCommand.Create(io),
            TenantsCommand.Create(io),
        };
        root.Options.Add(common.Verbose);
        var keyFile = KeyFileOption.Create();
        root.Options.Add(keyFile);
        var audit = AuditOption.Create();
        var auditActor = AuditOption.CreateActor();
        root.Options.Add(audit);
        root.Options.Add(auditActor);
        var tenant = TenantOption.Create();
        root.Options.Add(tenant);
        var ownerUrl = OwnerUrlOption.Create();
        root.Options.Add(ownerUrl);
        Examples.Install(root);

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // An unknown word also yields "Required command was not provided"; the unknown word is the clearer message.
            var error = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
            await io.Error.WriteLineAsync($"eventuali: {OneLine(error.Message)} (see 'eventuali --help')").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var verbose = parse.GetValue(common.Verbose);
        KeyFileOption.Resolve(parse, keyFile, io);
        TenantOption.Resolve(parse, tenant);
        OwnerUrlOption.Resolve(parse, ownerUrl, io);
        var config = new InvocationConfiguration
        {
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null, // Program.cs owns Ctrl+C
            Output = io.Out,
            Error = io.Error,
        };
        try
        {
            // Every store the command opens records its operations under this actor when auditing is on.
            using var actor = AuditOption.Resolve(parse, audit, auditActor, io) is { } name ? AuditContext.Begin(name) : null;
            return await parse.InvokeAsync(config, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var (code, message) = Describe(ex, cancellationToken);
            await io.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            await io.Error.WriteLineAsync("eventuali: " + OneLine(message)).ConfigureAwait(false);
            if (verbose)
            {
                await io.Error.WriteLineAsync(ex.ToString()).ConfigureAwait(false);
            }

            return code;
        }
        finally
        {
            await io.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static (int Code, string Message) Describe(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => (ExitCodes.Cancelled, "cancelled."),
        UsageException => (ExitCodes.Usage, ex.Message),
        ArgumentException a => (ExitCodes.Usage, WithoutParameterSuffix(a)),
        ConcurrencyException => (ExitCodes.Failure, ex.Message),
        EventualiException => (ExitCodes.Failure, ex.Message),
        Security.Keys.KeyProviderException => (ExitCodes.Failure, ex.Message),
        IOException or UnauthorizedAccessException => (ExitCodes.Failure, ex.Message),
        _ => (ExitCodes.Failure, $"unexpected {ex.GetType().Name}: {ex.Message} (run with --verbose for details)"),
    };

    /// <summary>The message without .NET's " (Parameter 'name')" suffix, which names code rather than what the user typed.</summary>
    private static string WithoutParameterSuffix(ArgumentException ex)
        => ex.ParamName is { } name ? ex.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : ex.Message;

    /// <summary>Error output is one line: inner newlines (e.g. from a database driver) become spaces.</summary>
    internal static string OneLine(string message)
        => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
