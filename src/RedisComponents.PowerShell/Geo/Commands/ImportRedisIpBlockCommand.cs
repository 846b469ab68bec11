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

    private protected override string KeysDescription => $"{GeoKeys.IpToCityId} / {GeoKeys.IpToCityIdEnds} / {GeoKeys.IpToCityIdV6}";

    private protected override string RowNoun => "IP block";
}
