using System.Management.Automation;

namespace ImportControl;

/// <summary>One row for the one view of the control module.</summary>
public sealed class ImportControlInfo
{
    public string Name { get; init; } = "";
    public long Value { get; init; }
}

/// <summary>Get-ImportControl: the control module's only cmdlet.</summary>
[Cmdlet(VerbsCommon.Get, "ImportControl")]
[OutputType(typeof(ImportControlInfo))]
public sealed class GetImportControlCommand : PSCmdlet
{
    [Parameter(Position = 0)]
    public string Name { get; set; } = "control";

    protected override void ProcessRecord() => WriteObject(new ImportControlInfo { Name = Name, Value = 42 });
}
