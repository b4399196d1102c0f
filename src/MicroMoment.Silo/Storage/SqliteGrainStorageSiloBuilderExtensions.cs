using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace MicroMoment.Silo.Storage;

/// <summary>Registers <see cref="SqliteGrainStorage"/> as a named (or the default) Orleans grain storage.</summary>
public static class SqliteGrainStorageSiloBuilderExtensions
{
    /// <summary>Adds a SQLite grain storage named <paramref name="name"/> (the name grains give in <c>[PersistentState]</c>).</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, Action<SqliteGrainStorageOptions> configureOptions) =>
        builder.AddSqliteGrainStorage(name, options => options.Configure(configureOptions));

    /// <summary>Adds a SQLite grain storage as the silo's default grain storage.</summary>
    public static ISiloBuilder AddSqliteGrainStorageAsDefault(this ISiloBuilder builder, Action<SqliteGrainStorageOptions> configureOptions) =>
        builder.AddSqliteGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configureOptions);

    /// <summary>Adds a SQLite grain storage named <paramref name="name"/>, configured through an options builder (e.g. <c>BindConfiguration</c>).</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, Action<OptionsBuilder<SqliteGrainStorageOptions>>? configureOptions = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSqliteGrainStorage(name, configureOptions);
        return builder;
    }

    /// <summary>Adds a SQLite grain storage named <paramref name="name"/> to a silo's services.</summary>
    public static IServiceCollection AddSqliteGrainStorage(this IServiceCollection services, string name, Action<OptionsBuilder<SqliteGrainStorageOptions>>? configureOptions = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        configureOptions?.Invoke(services.AddOptions<SqliteGrainStorageOptions>(name));
        services.AddTransient<IPostConfigureOptions<SqliteGrainStorageOptions>, DefaultStorageProviderSerializerOptionsConfigurator<SqliteGrainStorageOptions>>();
        services.ConfigureNamedOptionForLogging<SqliteGrainStorageOptions>(name);
        services.AddTransient<IConfigurationValidator>(sp =>
            new SqliteGrainStorageOptionsValidator(sp.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get(name), name));
        return services.AddGrainStorage(name, Create);
    }

    private static SqliteGrainStorage Create(IServiceProvider services, string name) =>
        ActivatorUtilities.CreateInstance<SqliteGrainStorage>(services, name, services.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get(name));
}
