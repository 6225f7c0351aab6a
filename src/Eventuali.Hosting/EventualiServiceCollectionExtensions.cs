using Eventuali.Auditing;
using Eventuali.Caching;
using Eventuali.DataKeys;
using Eventuali.Import;
using Eventuali.Integrity;
using Eventuali.Lifecycle;
using Eventuali.Projections;
using Eventuali.Sagas;
using Eventuali.Snapshots;
using Eventuali.Statistics;
using Eventuali.Subscriptions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Eventuali.Hosting;

/// <summary>
/// <c>services.AddEventuali(...)</c>: the store as a singleton <see cref="IEventStore"/>, each of its capabilities as a
/// singleton of its own type (<see cref="ICheckpointStore"/>, <see cref="IProjectionStore"/>, ...; resolving one the
/// backend lacks gives null), and <see cref="EventualiOptions"/> validated when the host starts.
/// </summary>
public static class EventualiServiceCollectionExtensions
{
    /// <summary>Registers the store at <paramref name="url"/>.</summary>
    public static IServiceCollection AddEventuali(this IServiceCollection services, string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return services.AddEventuali(o => o.Url = url);
    }

    /// <summary>Registers the store described by options set in code.</summary>
    public static IServiceCollection AddEventuali(this IServiceCollection services, Action<EventualiOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventualiOptions>, EventualiOptionsValidator>());
        return AddCore(services);
    }

    /// <summary>
    /// Registers the store described by the configuration section <paramref name="section"/> (keys <c>Url</c>,
    /// <c>CreateIfMissing</c>, <c>HealthChecks:*</c>), then <paramref name="configure"/> when given. A missing section
    /// fails at startup.
    /// </summary>
    public static IServiceCollection AddEventuali(this IServiceCollection services, IConfigurationSection section, Action<EventualiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        var binding = new EventualiOptionsBinding(section, section.Path);
        services.TryAddSingleton(binding);
        services.AddSingleton<IConfigureOptions<EventualiOptions>>(binding);
        return services.AddEventuali(configure ?? (static _ => { }));
    }

    /// <summary>Registers the store described by the host's configuration section <c>Eventuali</c> (see <see cref="EventualiOptions"/>).</summary>
    public static IHostApplicationBuilder AddEventuali(this IHostApplicationBuilder builder, Action<EventualiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddEventuali(builder.Configuration.GetSection(EventualiOptions.SectionName), configure);
        return builder;
    }

    /// <summary>
    /// Registers a saga runner for <paramref name="saga"/> over the registered store, run by a hosted service that
    /// stops it gracefully with the host. <see cref="SagaRunner{TState}"/> is resolvable for its counters.
    /// </summary>
    public static IServiceCollection AddEventualiSaga<TState>(this IServiceCollection services, Func<IServiceProvider, SagaDefinition<TState>> saga, SagaRunnerOptions? options = null)
        where TState : class, new()
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(saga);
        services.TryAddSingleton(new EventualiServiceStates());
        services.AddSingleton(sp => new SagaRunner<TState>(sp.GetRequiredService<IEventStore>(), saga(sp), options));
        services.AddSingleton<IHostedService>(sp => new SagaRunnerHostedService<TState>(
            sp.GetRequiredService<SagaRunner<TState>>(), sp.GetRequiredService<EventualiServiceStates>(), LoggerOf(sp)));
        return services;
    }

    /// <summary>
    /// Registers a handler-based catch-up subscription (<see cref="SubscriptionExtensions.StartSubscription"/>) run by
    /// a hosted service: it resumes from its stored checkpoint when the host starts and saves it when the host stops.
    /// </summary>
    public static IServiceCollection AddEventualiSubscription(this IServiceCollection services, SubscriptionOptions options, Func<IServiceProvider, Func<RecordedEvent, CancellationToken, ValueTask>> handler)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        options.Validate();
        services.TryAddSingleton(new EventualiServiceStates());
        services.AddSingleton<IHostedService>(sp => new SubscriptionHostedService(
            sp.GetRequiredService<IEventStore>(), options, handler(sp), sp.GetRequiredService<EventualiServiceStates>(), LoggerOf(sp)));
        return services;
    }

    private static IServiceCollection AddCore(IServiceCollection services)
    {
        services.AddOptions<EventualiOptions>().ValidateOnStart();
        services.TryAddSingleton(new EventualiServiceStates());
        services.TryAddSingleton(sp => EventualiStoreFactory.Open(sp.GetRequiredService<IOptions<EventualiOptions>>(), sp.GetService<IAggregateCache>(), LoggerOf(sp)));
        Feature<ICheckpointStore>(services);
        Feature<IProjectionStore>(services);
        Feature<IInlineProjectionStore>(services);
        Feature<ISagaStore>(services);
        Feature<ISnapshotStore>(services);
        Feature<IStreamTimeline>(services);
        Feature<IStreamLifecycle>(services);
        Feature<IStoreStatistics>(services);
        Feature<ILogWatermark>(services);
        Feature<IEventImporter>(services);
        Feature<IAppendNotifications>(services);
        Feature<IEventChainStore>(services);
        Feature<IDataKeyStore>(services);
        Feature<IAuditLogStore>(services);
        Feature<IProjectionErasure>(services);
        return services;
    }

    // Found through GetFeature, never by casting, so a wrapped store's capabilities stay wrapped.
    private static void Feature<TFeature>(IServiceCollection services)
        where TFeature : class
        => services.TryAddSingleton(sp => sp.GetRequiredService<IEventStore>().GetFeature<TFeature>()!);

    internal static ILogger LoggerOf(IServiceProvider sp)
        => sp.GetService<ILoggerFactory>()?.CreateLogger("Eventuali.Hosting") ?? NullLogger.Instance;
}
