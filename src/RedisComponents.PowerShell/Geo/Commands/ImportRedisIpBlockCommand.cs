using RedisComponents.Infrastructure;
using System;
using System.IO;
using System.Management.Automation;

namespace RedisComponents.Geo.Commands;

/// <summary>
/// Book 5.3 <c>import_ips_to_redis</c>: a legacy GeoLiteCity-Blocks or GeoLite2 City-Blocks-IPv4/IPv6 CSV
/// into <c>ip2cityid:</c> (plus our <c>ip2cityid:ends</c> and <c>ip2cityid:v6</c>), replaced atomically.
/// </summary>
[Cmdlet(VerbsData.Import, "RedisIpBlock", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "Path")]
[OutputType(typeof(GeoImportResult))]
public sealed class ImportRedisIpBlockCommand : GeoImportCmdlet
{
    private protected override GeoImportKind Kind => GeoImportKind.IpBlocks;

    /// <summary>Named from the file's first data row: an IPv4 file replaces two keys, an IPv6 file one.</summary>
    private protected override string KeysDescription(string path, bool cluster)
    {
        string[]? keys = null;
        try
        {
            using var file = GeoCsvFile.Open(path);
            keys = BlockRowParser.DestinationsOf(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or GeoRowTooLargeException)
        {
            // The import itself reports what is wrong with the file.
        }
        return keys is null
            ? $"{WriteTargets.GeoImport(new[] { GeoKeys.IpToCityId, GeoKeys.IpToCityIdEnds }, cluster)}, or {WriteTargets.GeoImport(new[] { GeoKeys.IpToCityIdV6 }, cluster)}"
            : WriteTargets.GeoImport(keys, cluster);
    }

    private protected override string RowNoun => "IP block";
}
