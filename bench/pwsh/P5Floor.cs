// Compiled by P5-FindCity.ps1 (Add-Type -Path): the floor cmdlet and the thread CPU clock. Not a scenario.
using System;
using System.Management.Automation;
using System.Runtime.InteropServices;

/// <summary>Same shape as the module's IpCity.</summary>
public sealed class P5City
{
    public string IPAddress { get; set; }
    public string City { get; set; }
    public string Region { get; set; }
    public string Country { get; set; }
    public string CityId { get; set; }
}

/// <summary>The floor of a piped lookup: Find-RedisCity's parameter declarations, one object out per address, nothing else.</summary>
[Cmdlet(VerbsCommon.Find, "P5Nothing")]
[OutputType(typeof(P5City))]
public sealed class FindP5NothingCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)] [ValidateNotNullOrEmpty] public string Component { get; set; }
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)] [Alias("IP", "Address")] [ValidateNotNullOrEmpty] public string[] IPAddress { get; set; }
    protected override void ProcessRecord()
    {
        foreach (var address in IPAddress) WriteObject(new P5City { IPAddress = address, City = "City 1", Region = "CA", Country = "US", CityId = "1" });
    }
}

/// <summary>CPU seconds (user + system) of the calling thread: getrusage(RUSAGE_THREAD).</summary>
public static class P5Cpu
{
    [StructLayout(LayoutKind.Sequential, Size = 144)]
    private struct RUsage { public long UserSeconds, UserMicros, SystemSeconds, SystemMicros; }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out RUsage usage);

    public static double ThreadSeconds()
    {
        if (getrusage(1, out var u) != 0) return double.NaN;
        return u.UserSeconds + u.UserMicros / 1e6 + u.SystemSeconds + u.SystemMicros / 1e6;
    }
}
