using System.Net.Sockets;

namespace MlflowMsBuild.Core.Http;

/// <summary>What kind of failure kept a request from reaching its server, for deciding whether trying again can help.</summary>
internal enum ConnectionFailureKind
{
    /// <summary>A failure that may pass (reset, timeout, unreachable network, a DNS server that did not answer).</summary>
    Transient,

    /// <summary>Nothing listens at the address (TCP reset on connect): worth one quick retry, for a server restarting.</summary>
    Refused,

    /// <summary>The host name does not exist (a definite DNS answer): trying again gives the same answer.</summary>
    NameNotFound,
}

internal static class ConnectionFailures
{
    /// <summary>The kind of a failure thrown by the HTTP stack (the socket error, else .NET's <see cref="HttpRequestError"/>).</summary>
    public static ConnectionFailureKind Classify(Exception exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => ConnectionFailureKind.Refused,
                    SocketError.HostNotFound or SocketError.NoData => ConnectionFailureKind.NameNotFound,
                    _ => ConnectionFailureKind.Transient,
                };
            }
        }

        return exception is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError }
            ? ConnectionFailureKind.NameNotFound
            : ConnectionFailureKind.Transient;
    }
}
