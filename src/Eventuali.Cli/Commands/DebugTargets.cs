using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Eventuali.Projections;
using Eventuali.Tools.Debugging;
using Eventuali.Typed;

namespace Eventuali.Cli.Commands;

/// <summary>Finds what <c>eventuali debug</c> steps: an aggregate or projection type from a user's assembly (or the demo's), else the raw payloads.</summary>
internal static class DebugTargets
{
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Refused at the start of Create without dynamic code, i.e. in a trimmed or Native AOT build.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Refused at the start of Create without dynamic code, i.e. in a trimmed or Native AOT build.")]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "Refused at the start of Create without dynamic code, i.e. in a trimmed or Native AOT build.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Refused at the start of Create without dynamic code, i.e. in a trimmed or Native AOT build.")]
    public static IStateStepper Create(IEventStore store, string? aggregate, string? projection, string? assemblyPath)
    {
        if (aggregate is not null && projection is not null)
        {
            throw new UsageException("debug takes --aggregate or --projection, not both.");
        }

        if (aggregate is null && projection is null)
        {
            return assemblyPath is null
                ? new PayloadStepper()
                : throw new UsageException("--assembly needs --aggregate NAME or --projection NAME (the type to step).");
        }

        if (projection is not null && assemblyPath is null)
        {
            throw new UsageException("--projection needs --assembly PATH (the .dll holding the projection).");
        }

        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            throw new UsageException("debug --aggregate/--projection loads types by reflection, which this Native AOT build cannot do; use the dotnet tool (dotnet tool install Eventuali.Cli), or step raw payloads without them.");
        }

        var assembly = assemblyPath is null ? typeof(DebugTargets).Assembly : Load(assemblyPath);
        if (aggregate is not null)
        {
            return new AggregateStepper(Find(assembly, aggregate, typeof(Aggregate), "aggregate"), store.Options.Types);
        }

        var type = Find(assembly, projection!, typeof(Projection), "projection");
        if (type.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new UsageException($"projection type {type.FullName} has no public parameterless constructor.");
        }

        return new ProjectionStepper((Projection)Activator.CreateInstance(type)!);
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Refused at the start of Create without dynamic code, i.e. in a trimmed or Native AOT build.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Refused at the start of Create without dynamic code, i.e. in a trimmed or Native AOT build.")]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "Refused at the start of Create without dynamic code, i.e. in a trimmed or Native AOT build.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Refused at the start of Create without dynamic code, i.e. in a trimmed or Native AOT build.")]
    private static Assembly Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new UsageException($"--assembly '{path}' does not exist.");
        }

        try
        {
            return AssemblyLoadContext.Default.LoadFromAssemblyPath(full);
        }
        catch (BadImageFormatException ex)
        {
            throw new UsageException($"--assembly '{path}' is not a .NET assembly: {ex.Message}");
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Refused at the start of Create without dynamic code, i.e. in a trimmed or Native AOT build.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Refused at the start of Create without dynamic code, i.e. in a trimmed or Native AOT build.")]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "Refused at the start of Create without dynamic code, i.e. in a trimmed or Native AOT build.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Refused at the start of Create without dynamic code, i.e. in a trimmed or Native AOT build.")]
    private static Type Find(Assembly assembly, string name, Type baseType, string what)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            types = [.. ex.Types.OfType<Type>()];
        }

        var candidates = types.Where(t => baseType.IsAssignableFrom(t) && !t.IsAbstract).ToList();
        var match = candidates.Where(t => t.FullName == name || t.Name == name).ToList();
        return match.Count switch
        {
            1 => match[0],
            0 => throw new UsageException($"no {what} type '{name}' in {assembly.GetName().Name}; {what}s there: {(candidates.Count == 0 ? "none" : string.Join(", ", candidates.Select(t => t.FullName).Order(StringComparer.Ordinal)))}."),
            _ => throw new UsageException($"'{name}' names several {what} types in {assembly.GetName().Name}: {string.Join(", ", match.Select(t => t.FullName))}; give the full name."),
        };
    }
}
