//! The borrowed forms serde_avro_fast decodes a workload's record into
//! (`&'a str` fields with `#[serde(borrow)]`, as a serde user would write
//! them: maps as `HashMap<&str, &str>`), with their conversion to the
//! generated owned type for the check before timing. `numeric` has nothing
//! to borrow and `order`'s decimals need serde_avro_fast's own forms (see
//! `serde_forms`), so neither has one.

use std::collections::HashMap;

use serde::Deserialize;

use crate::workloads::{event::Event, strings::Doc, student::Student};

#[derive(Debug, Deserialize)]
pub struct StudentFastRef<'a> {
    pub name: &'a str,
    pub class: i32,
}

impl StudentFastRef<'_> {
    pub fn owned(&self) -> Student {
        Student {
            name: self.name.to_owned(),
            class: self.class,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct EventFastRef<'a> {
    pub id: i64,
    pub ts: i64,
    pub user_id: &'a str,
    pub session: &'a str,
    pub page: &'a str,
    pub score: f64,
    pub count: i32,
    #[serde(borrow)]
    pub tags: Vec<&'a str>,
    #[serde(borrow)]
    pub referrer: Option<&'a str>,
    #[serde(borrow)]
    pub attrs: HashMap<&'a str, &'a str>,
    pub values: Vec<i64>,
}

impl EventFastRef<'_> {
    pub fn owned(&self) -> Event {
        Event {
            id: self.id,
            ts: self.ts,
            user_id: self.user_id.to_owned(),
            session: self.session.to_owned(),
            page: self.page.to_owned(),
            score: self.score,
            count: self.count,
            tags: self.tags.iter().map(|s| (*s).to_owned()).collect(),
            referrer: self.referrer.map(str::to_owned),
            attrs: self
                .attrs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            values: self.values.clone(),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct DocFastRef<'a> {
    pub title: &'a str,
    pub body: &'a str,
    #[serde(borrow)]
    pub authors: Vec<&'a str>,
    #[serde(borrow)]
    pub labels: HashMap<&'a str, &'a str>,
}

impl DocFastRef<'_> {
    pub fn owned(&self) -> Doc {
        Doc {
            title: self.title.to_owned(),
            body: self.body.to_owned(),
            authors: self.authors.iter().map(|s| (*s).to_owned()).collect(),
            labels: self
                .labels
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }
}
