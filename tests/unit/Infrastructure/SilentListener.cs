using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace RedisComponents.Tests.Infrastructure;

/// <summary>A TCP listener on loopback that accepts connections and never answers: a black-holed server.</summary>
public sealed class SilentListener : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentBag<TcpClient> accepted = new();

    public SilentListener()
    {
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _ = AcceptLoop();
    }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>How many connections it has accepted (a client is now waiting on it).</summary>
    public int Accepted => accepted.Count;

    private async Task AcceptLoop()
    {
        try
        {
            while (true) accepted.Add(await listener.AcceptTcpClientAsync().ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Stopped.
        }
    }

    public void Dispose()
    {
        listener.Stop();
        foreach (var c in accepted) c.Dispose();
    }
}
