using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Eventuali.Testing.Generation;
using Eventuali.Typed;

namespace Eventuali.Cli.Schema;

/// <summary>
/// An application's built assembly, loaded for its event types (every public <see cref="IEventTypeSetup"/>; without
/// one, every <see cref="EventTypeAttribute"/>-marked type) and its generator domains (<see cref="IEventHistoryDomain"/>).
/// Its dependencies resolve from its own folder and .deps.json; Eventuali itself is the CLI's own copy.
/// </summary>
internal sealed class UserAssembly
{
    private UserAssembly(Assembly assembly, string path)
    {
        Assembly = assembly;
        Path = path;
    }

    public Assembly Assembly { get; }

    public string Path { get; }

    [RequiresUnreferencedCode("Loads application code.")]
    public static UserAssembly Load(string path)
    {
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            throw new UsageException("This build of eventuali is compiled ahead of time and cannot load --assembly; run the dotnet tool (dotnet tool install -g Eventuali.Cli).");
        }

        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new UsageException($"The assembly '{path}' does not exist; build the project and pass its .dll (e.g. bin/Release/net10.0/MyApp.dll).");
        }

        var resolver = new AssemblyDependencyResolver(full);
        AssemblyLoadContext.Default.Resolving += (context, name) =>
            resolver.ResolveAssemblyToPath(name) is { } dependency ? context.LoadFromAssemblyPath(dependency) : null;
        try
        {
            return new UserAssembly(AssemblyLoadContext.Default.LoadFromAssemblyPath(full), path);
        }
        catch (BadImageFormatException)
        {
            throw new UsageException($"'{path}' is not a .NET assembly.");
        }
    }

    /// <summary>A registry holding the application's event types, aliases and upcasters.</summary>
    [RequiresUnreferencedCode("Creates and calls application types.")]
    public EventTypeRegistry Types()
    {
        var types = new EventTypeRegistry();
        var setups = Exported().Where(t => typeof(IEventTypeSetup).IsAssignableFrom(t)).ToList();
        try
        {
            if (setups.Count == 0)
            {
                types.RegisterAssembly(Assembly);
            }

            foreach (var setup in setups)
            {
                ((IEventTypeSetup)Create(setup)).Configure(types);
            }
        }
        catch (Exception ex) when (ex is not UsageException)
        {
            throw new EventualiException($"Registering the event types of '{Path}' failed: {ex.GetBaseException().Message}");
        }

        if (types.RegisteredTypes.Count == 0)
        {
            throw new UsageException($"'{Path}' registers no event types: add [EventType(\"name\")] to its event classes, or a public class implementing IEventTypeSetup.");
        }

        return types;
    }

    /// <summary>The application's generator domains, by name.</summary>
    [RequiresUnreferencedCode("Creates application types.")]
    public IReadOnlyList<IEventHistoryDomain> Domains()
        => [.. Exported().Where(t => typeof(IEventHistoryDomain).IsAssignableFrom(t)).Select(t => (IEventHistoryDomain)Create(t))];

    [RequiresUnreferencedCode("Lists application types.")]
    private IEnumerable<Type> Exported()
    {
        Type[] all;
        try
        {
            all = Assembly.GetExportedTypes();
        }
        catch (Exception ex) when (ex is ReflectionTypeLoadException or FileNotFoundException)
        {
            throw new EventualiException($"Loading the types of '{Path}' failed (a dependency missing next to it?): {ex.GetBaseException().Message}");
        }

        return all.Where(t => t is { IsClass: true, IsAbstract: false } && t.GetConstructor(Type.EmptyTypes) is not null);
    }

    [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = "Only reached with dynamic code, where nothing is trimmed (checked in Load).")]
    private static object Create(Type type)
    {
        try
        {
            return Activator.CreateInstance(type)!;
        }
        catch (TargetInvocationException ex)
        {
            throw new EventualiException($"Creating {type.FullName} failed: {ex.GetBaseException().Message}");
        }
    }
}
