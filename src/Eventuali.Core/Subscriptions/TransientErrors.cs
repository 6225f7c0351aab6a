using System.Data.Common;

namespace Eventuali.Subscriptions;

/// <summary>The one place that decides whether a store error is worth retrying: as the backend classified it.</summary>
public static class TransientErrors
{
    /// <summary>
    /// True when <paramref name="error"/> (or an exception it wraps) is an <see cref="EventStoreUnavailableException"/>
    /// the backend marked <see cref="EventStoreUnavailableException.IsTransient"/>, or a database driver error the driver
    /// itself marks transient (<see cref="DbException.IsTransient"/>). Anything else is permanent.
    /// </summary>
    public static bool IsTransient(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case EventStoreUnavailableException unavailable:
                    return unavailable.IsTransient;
                case StoreRetryException:
                    return false;
                case DbException { IsTransient: true }:
                    return true;
            }
        }

        return false;
    }
}
