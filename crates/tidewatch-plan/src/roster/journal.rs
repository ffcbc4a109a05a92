//! A roster to and from the journal's record of it ([`RosterRecord`]): the journal owns
//! that format, so the roster model can change without changing what was journaled.

use chrono::DateTime;

use super::mip::MipStatus;
use super::model::Weights;
use super::model::{
    Assignment, DayInfo, HourDemand, HourNeed, IslandDemand, LabourRules, PartSolve, Period, RequestKind, Roster, RosterOfficer,
    ShiftRequest, ShiftTemplate, SkillSet, SolveInfo,
};
use tidewatch_core::ids::{IslandId, OfficerId, UnitId};
use tidewatch_core::region::DayType;
use tidewatch_core::Error;
use tidewatch_journal::records::{
    local, DayRecord, DayTypeRecord, HourDemandRecord, HourNeedRecord, IslandDemandRecord, OfficerRecord, PartRecord, PlanRecord,
    RequestKindRecord, RequestRecord, RosterRecord, RulesRecord, ShiftRecord, SkillsRecord, SolveRecord, SolveStatusRecord, TemplateRecord,
    Version2, WeightsRecord,
};

/// The journal's record of `roster` (what publishing journals).
pub fn to_record(roster: &Roster) -> RosterRecord {
    let tz = roster.tz().unwrap_or(chrono_tz::UTC);
    let shifts = roster
        .assignments
        .iter()
        .map(|a| ShiftRecord {
            officer: a.officer.0.clone(),
            island: a.island.0.clone(),
            template: a.template.clone(),
            date: roster.period.date(a.day),
            start: local(tz, a.start.timestamp()),
            end: local(tz, a.end.timestamp()),
            start_utc: a.start.timestamp(),
            end_utc: a.end.timestamp(),
        })
        .collect();
    RosterRecord {
        v: Version2,
        region: roster.region.clone(),
        time_zone: roster.time_zone.clone(),
        from: roster.period.from,
        days: roster.period.days,
        officers: roster.officers.iter().map(officer_record).collect(),
        shifts,
        plan: PlanRecord {
            days: roster.days.iter().map(day_record).collect(),
            rules: rules_record(&roster.rules),
            templates: roster
                .templates
                .iter()
                .map(|t| TemplateRecord { id: t.id.clone(), start_hour: t.start_hour, hours: t.hours })
                .collect(),
            demand: roster.demand.iter().map(demand_record).collect(),
            solve: roster.solve.as_ref().map(solve_record),
        },
    }
}

/// The roster a journal record holds. Refused when a shift starts outside the period.
pub fn from_record(r: &RosterRecord) -> Result<Roster, Error> {
    let period = Period { from: r.from, days: r.days };
    let assignments = r.shifts.iter().map(|s| assignment(&period, s)).collect::<Result<_, _>>()?;
    Ok(Roster {
        format: Roster::FORMAT,
        region: r.region.clone(),
        time_zone: r.time_zone.clone(),
        period,
        days: r.plan.days.iter().map(day_info).collect(),
        rules: labour_rules(&r.plan.rules),
        templates: r.plan.templates.iter().map(|t| ShiftTemplate::new(&t.id, t.start_hour, t.hours)).collect(),
        officers: r.officers.iter().map(roster_officer).collect(),
        demand: r.plan.demand.iter().map(island_demand).collect(),
        assignments,
        solve: r.plan.solve.as_ref().map(solve_info),
    })
}

fn assignment(period: &Period, s: &ShiftRecord) -> Result<Assignment, Error> {
    let bad = |what: &str| Error::Storage(format!("published roster: the shift of {} on {}: {what}", s.officer, s.date));
    let day = period.day_of(s.date).ok_or_else(|| bad("outside the roster's period"))?;
    let instant = |t: i64| DateTime::from_timestamp(t, 0).ok_or_else(|| bad("a time out of range"));
    Ok(Assignment {
        officer: OfficerId(s.officer.clone()),
        day,
        template: s.template.clone(),
        island: IslandId(s.island.clone()),
        start: instant(s.start_utc)?,
        end: instant(s.end_utc)?,
    })
}

fn officer_record(o: &RosterOfficer) -> OfficerRecord {
    OfficerRecord {
        id: o.id.0.clone(),
        name: o.name.clone(),
        skills: match o.skills {
            SkillSet::Traffic => SkillsRecord::Traffic,
            SkillSet::Station => SkillsRecord::Station,
            SkillSet::Both => SkillsRecord::Both,
        },
        home_island: o.home_island.0.clone(),
        unit: o.unit.as_ref().map(|u| u.0.clone()),
        contract_hours_per_week: o.contract_hours_per_week,
        days_off: o.days_off.clone(),
        requests: o
            .requests
            .iter()
            .map(|q| RequestRecord {
                date: q.date,
                kind: match q.kind {
                    RequestKind::On => RequestKindRecord::On,
                    RequestKind::Off => RequestKindRecord::Off,
                },
                template: q.template.clone(),
                weight: q.weight,
            })
            .collect(),
    }
}

fn roster_officer(o: &OfficerRecord) -> RosterOfficer {
    RosterOfficer {
        id: OfficerId(o.id.clone()),
        name: o.name.clone(),
        skills: match o.skills {
            SkillsRecord::Traffic => SkillSet::Traffic,
            SkillsRecord::Station => SkillSet::Station,
            SkillsRecord::Both => SkillSet::Both,
        },
        home_island: IslandId(o.home_island.clone()),
        unit: o.unit.as_ref().map(|u| UnitId(u.clone())),
        contract_hours_per_week: o.contract_hours_per_week,
        days_off: o.days_off.clone(),
        requests: o
            .requests
            .iter()
            .map(|q| ShiftRequest {
                date: q.date,
                kind: match q.kind {
                    RequestKindRecord::On => RequestKind::On,
                    RequestKindRecord::Off => RequestKind::Off,
                },
                template: q.template.clone(),
                weight: q.weight,
            })
            .collect(),
    }
}

fn day_record(d: &DayInfo) -> DayRecord {
    DayRecord {
        date: d.date,
        day_type: match d.day_type {
            DayType::Weekday => DayTypeRecord::Weekday,
            DayType::Weekend => DayTypeRecord::Weekend,
            DayType::Holiday => DayTypeRecord::Holiday,
        },
        peak: d.peak,
        season_factor: d.season_factor,
        label: d.label.clone(),
    }
}

fn day_info(d: &DayRecord) -> DayInfo {
    DayInfo {
        date: d.date,
        day_type: match d.day_type {
            DayTypeRecord::Weekday => DayType::Weekday,
            DayTypeRecord::Weekend => DayType::Weekend,
            DayTypeRecord::Holiday => DayType::Holiday,
        },
        peak: d.peak,
        season_factor: d.season_factor,
        label: d.label.clone(),
    }
}

fn rules_record(r: &LabourRules) -> RulesRecord {
    RulesRecord {
        max_hours_per_day: r.max_hours_per_day,
        max_hours_per_week: r.max_hours_per_week,
        min_rest_hours: r.min_rest_hours,
        max_consecutive_days: r.max_consecutive_days,
        min_days_off_per_week: r.min_days_off_per_week,
        min_weekends_off_per_4_weeks: r.min_weekends_off_per_4_weeks,
        contract_hours_per_week: r.contract_hours_per_week,
    }
}

fn labour_rules(r: &RulesRecord) -> LabourRules {
    LabourRules {
        max_hours_per_day: r.max_hours_per_day,
        max_hours_per_week: r.max_hours_per_week,
        min_rest_hours: r.min_rest_hours,
        max_consecutive_days: r.max_consecutive_days,
        min_days_off_per_week: r.min_days_off_per_week,
        min_weekends_off_per_4_weeks: r.min_weekends_off_per_4_weeks,
        contract_hours_per_week: r.contract_hours_per_week,
    }
}

fn demand_record(d: &IslandDemand) -> IslandDemandRecord {
    IslandDemandRecord {
        island: d.island.0.clone(),
        name: d.name.clone(),
        outlying: d.outlying,
        covers: d.covers.iter().map(|i| i.0.clone()).collect(),
        hours: d
            .hours
            .iter()
            .map(|h| HourDemandRecord {
                calls_traffic: h.calls_traffic,
                calls_station: h.calls_station,
                handling_traffic_min: h.handling_traffic_min,
                handling_station_min: h.handling_station_min,
                erlang_traffic: h.erlang_traffic,
                erlang_station: h.erlang_station,
                erlang_total: h.erlang_total,
                need: HourNeedRecord {
                    traffic: h.need.traffic,
                    station: h.need.station,
                    total: h.need.total,
                    floor_traffic: h.need.floor_traffic,
                    floor_station: h.need.floor_station,
                },
            })
            .collect(),
    }
}

fn island_demand(d: &IslandDemandRecord) -> IslandDemand {
    IslandDemand {
        island: IslandId(d.island.clone()),
        name: d.name.clone(),
        outlying: d.outlying,
        covers: d.covers.iter().map(|i| IslandId(i.clone())).collect(),
        hours: d
            .hours
            .iter()
            .map(|h| HourDemand {
                calls_traffic: h.calls_traffic,
                calls_station: h.calls_station,
                handling_traffic_min: h.handling_traffic_min,
                handling_station_min: h.handling_station_min,
                erlang_traffic: h.erlang_traffic,
                erlang_station: h.erlang_station,
                erlang_total: h.erlang_total,
                need: HourNeed {
                    traffic: h.need.traffic,
                    station: h.need.station,
                    total: h.need.total,
                    floor_traffic: h.need.floor_traffic,
                    floor_station: h.need.floor_station,
                },
            })
            .collect(),
    }
}

fn status_record(s: MipStatus) -> SolveStatusRecord {
    match s {
        MipStatus::Optimal => SolveStatusRecord::Optimal,
        MipStatus::TimeLimit => SolveStatusRecord::TimeLimit,
        MipStatus::Stopped => SolveStatusRecord::Stopped,
    }
}

fn mip_status(s: SolveStatusRecord) -> MipStatus {
    match s {
        SolveStatusRecord::Optimal => MipStatus::Optimal,
        SolveStatusRecord::TimeLimit => MipStatus::TimeLimit,
        SolveStatusRecord::Stopped => MipStatus::Stopped,
    }
}

fn solve_record(s: &SolveInfo) -> SolveRecord {
    let w = &s.weights;
    SolveRecord {
        status: status_record(s.status),
        objective: s.objective,
        gap: s.gap,
        gap_part: s.gap_part.clone(),
        seconds: s.seconds,
        parts: s
            .parts
            .iter()
            .map(|p| PartRecord {
                part: p.part.clone(),
                officers: p.officers as u64,
                variables: p.variables as u64,
                status: p.status.map(status_record),
                objective: p.objective,
                bound: p.bound,
                seconds: p.seconds,
            })
            .collect(),
        weights: WeightsRecord {
            floor: w.floor,
            under: w.under,
            overtime: w.overtime,
            hours_spread: w.hours_spread,
            nights_spread: w.nights_spread,
            holiday_spread: w.holiday_spread,
            request: w.request,
            over: w.over,
            lend: w.lend,
        },
    }
}

fn solve_info(s: &SolveRecord) -> SolveInfo {
    let w = &s.weights;
    SolveInfo {
        status: mip_status(s.status),
        objective: s.objective,
        gap: s.gap,
        gap_part: s.gap_part.clone(),
        seconds: s.seconds,
        parts: s
            .parts
            .iter()
            .map(|p| PartSolve {
                part: p.part.clone(),
                officers: p.officers as usize,
                variables: p.variables as usize,
                status: p.status.map(mip_status),
                objective: p.objective,
                bound: p.bound,
                seconds: p.seconds,
            })
            .collect(),
        weights: Weights {
            floor: w.floor,
            under: w.under,
            overtime: w.overtime,
            hours_spread: w.hours_spread,
            nights_spread: w.nights_spread,
            holiday_spread: w.holiday_spread,
            request: w.request,
            over: w.over,
            lend: w.lend,
        },
    }
}
