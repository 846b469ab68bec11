using System;
using System.Globalization;
using System.Management.Automation;

namespace RedisComponents.Counters.Commands;

/// <summary>
/// A statistics value must be a finite number ≥ 0: NaN or ±Infinity would poison sum and sumsq for the
/// whole hour, and the module records durations, sizes and counts, which are never negative.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateStatisticValueAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var value = arguments is PSObject pso ? pso.BaseObject : arguments;
        if (value is double[] values)
        {
            foreach (var v in values) Check(v);
            return;
        }
        if (value is double d)
        {
            Check(d);
            return;
        }
        Refuse(value);
    }

    private static void Check(double value)
    {
        if (!double.IsFinite(value) || value < 0) Refuse(value);
    }

    private static void Refuse(object? value)
    {
        var shown = value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value?.ToString();
        throw new ValidationMetadataException(
            $"The value {shown} cannot be recorded: statistics take finite numbers greater than or equal to 0 (no NaN, Infinity or negative values).");
    }
}
