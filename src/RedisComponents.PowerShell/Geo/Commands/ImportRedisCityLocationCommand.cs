using RedisComponents.Infrastructure;
using System.Management.Automation;

namespace RedisComponents.Geo.Commands;

/// <summary>
/// Book 5.3 <c>import_cities_to_redis</c>: a legacy GeoLiteCity-Location (Latin-1) or GeoLite2
/// City-Locations (UTF-8) CSV into <c>cityid2city:</c>, replaced atomically.
/// </summary>
[Cmdlet(VerbsData.Import, "RedisCityLocation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "Path")]
[OutputType(typeof(GeoImportResult))]
public sealed class ImportRedisCityLocationCommand : GeoImportCmdlet
{
    private protected override GeoImportKind Kind => GeoImportKind.CityLocations;

    private protected override string KeysDescription(string path, bool cluster) => WriteTargets.GeoImport(new[] { GeoKeys.CityIdToCity }, cluster);

    private protected override string RowNoun => "city location";
}
